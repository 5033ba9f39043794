"""A personal calendar feed of milestones and action deadlines, fetched by calendar apps."""
