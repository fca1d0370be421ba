"""Money: the catalogue, commitments, claims, the ledger (the only mover of budget), payments through Stripe
or by transfer, refunds, statements and reconciliation."""
