"""The contest web application (Flask)."""
