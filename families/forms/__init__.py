"""Forms for families' pages: `staff.py` and `family.py`, as the views."""
