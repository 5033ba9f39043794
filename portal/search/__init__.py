"""Search across the map: forums, people, organisations, commissions, actions and decisions."""
