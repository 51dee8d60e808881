"""Forms for surveys' pages, as the views."""
