"""The one-stop protection desk (issue 19): confidential cases, evidence, escrow proof."""
