"""The club's reports: what the secretariat owes the ministry and each sponsor's shared-growth evidence."""
