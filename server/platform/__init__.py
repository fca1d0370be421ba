"""The platform every domain stands on: database, settings, errors, audit trail, mail outbox, pagination,
idempotency, time, and the visibility rules of every domain (`policy`)."""
