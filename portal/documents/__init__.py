"""Documents: the road map, the joint plans, directives, reports and shared definitions."""
