"""The families part of the REST API (under /api/v1/): cohorts, families, invitations, groups,
the peer feed, help between families and consent. One small view per operation; the services
decide, and their errors become the contract's error shape."""
