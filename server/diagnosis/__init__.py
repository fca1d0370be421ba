"""SME self-diagnosis: the questionnaire, taking it, and its results."""
