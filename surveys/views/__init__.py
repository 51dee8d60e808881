"""Pages for surveys: `family.py` for families, `staff.py` for liaisons and staff."""
