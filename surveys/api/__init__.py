"""The surveys part of the REST API (under /api/v1/): monthly surveys, their verification,
stories and stipends. One small view per operation; the services decide, and their errors
become the contract's error shape."""
