"""Pages for ventures: `family.py`, `staff.py`, `funder.py`."""
