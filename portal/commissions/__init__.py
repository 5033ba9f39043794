"""Commissions, milestones, recommendations and actions."""
