"""The changemakers API: phases and readiness, best-practice shares, and the practice
catalogue. One small view per operation; the services decide."""
