"""The SCIM 2.0 service-provider core shared by every emulated vendor."""
