"""An attachment is read through the record it belongs to (`can(user, "view", record)` in the download view);
read directly, by the administrator only (the orphaned files of deleted records, in the admin site)."""

from ccn.accounts.policy import Rule

RULES = [Rule("attachments.Attachment", actions={}, nationwide=())]
