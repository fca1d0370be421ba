"""Who belongs to the club: organisations and their admission, members and invitations, partnerships
between conglomerates and SMEs, and enrolling partners one by one or from a spreadsheet."""
