"""The collaboration map: network drawing, coverage, snapshots, what-if and exports."""
