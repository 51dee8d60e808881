"""Pages for families: `staff.py` for partner staff and liaisons, `family.py` for families."""
