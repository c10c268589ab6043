"""Contract tests: the same schemathesis and scenario suites against the mock or the vendors."""
