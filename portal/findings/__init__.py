"""The analysis in the portal: findings, their explanations, settings and the API."""
