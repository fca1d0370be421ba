"""Personal data as Korea's Personal Information Protection Act (PIPA) expects: the notice people accept,
what the club holds about a person, removal at their request, and purging after the retention period."""
