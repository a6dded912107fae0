"""The plan: targets, tasks per indicator, reporting periods, agency reports with evidence, review,
reminders and the register of exemplary models (issue 6). See docs/plan.md."""
