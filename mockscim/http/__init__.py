"""HTTP plumbing shared by every surface: request context, surfaces and their error formats, request hooks, body reading."""
