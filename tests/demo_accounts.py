"""The demo accounts the crawling tests sign in as: one per role (apps.accounts.demo creates them)."""

ROLE_ACCOUNTS = [
    "member@demo.example.org",
    "staff@demo.example.org",
    "manager@demo.example.org",
    "focalpoint@demo.example.org",
    "approver.sn@demo.example.org",
    "coordinator@demo.example.org",
    "outreach@demo.example.org",
    "editor@demo.example.org",
    "analyst@demo.example.org",
]
# With the administrator, whose pages are mostly the Django admin.
ALL_ACCOUNTS = [*ROLE_ACCOUNTS, "admin@demo.example.org"]
