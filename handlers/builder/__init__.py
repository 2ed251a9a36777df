"""The workflow builder: `/sync create` and `/sync edit` modals (issue #7)."""
