"""Accounts managed in the portal: users, invitations, passwords."""
