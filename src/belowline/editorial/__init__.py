"""The newsroom's editor tools: featured comments, pinned announcements, story switches, search."""
