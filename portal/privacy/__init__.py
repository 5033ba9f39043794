"""Personal data: the privacy notice, a person's data export and pseudonymisation."""
