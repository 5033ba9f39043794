"""Email notifications: reminders, overdue work, findings, the weekly digest (`flask notify`)."""
