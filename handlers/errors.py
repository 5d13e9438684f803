"""Expected problems: the message is a ready-to-show sentence in the person's language."""


class UserError(Exception):
    """Something the person can fix or needs to know; adapters show ``str(error)`` as it is."""
