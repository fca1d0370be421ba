"""Joint seminars: scheduling, registrations, the waiting list and calendar files."""
