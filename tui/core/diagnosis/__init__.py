"""The checklist: engine, checks, codes, remediation, reports and the support summary."""
