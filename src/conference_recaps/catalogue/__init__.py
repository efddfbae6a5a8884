"""The talk catalogue: conferences, speakers and talks, loaded from YAML into typed objects."""
