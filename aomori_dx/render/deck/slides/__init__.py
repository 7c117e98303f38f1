"""One module per kind of slide, each reading the computed ``Result`` and laying its slides out
through ``flow.Composer``: cover and closing, attendees, agenda, history/goals/KPI list,
dashboards, indicator tables, roadmap lists, featured projects and the discussion."""
