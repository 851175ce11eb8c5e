"""The return pages, one module per page group (see urls.py)."""
