"""The register: organisations, people, forums and focus areas."""
