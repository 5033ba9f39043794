"""The analysis in the portal: findings, their explanations and settings."""
