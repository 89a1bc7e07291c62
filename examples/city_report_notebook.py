# %% [markdown]
# # The city's homework report, in a notebook
#
# A notebook-style walk through unified_edu (cells in the `# %%` format that Jupyter,
# VS Code and jupytext open as a notebook). It runs against the embedded sandbox, so it
# needs no account: swap `RemoteSandbox` for your own `tenants.toml` to run it for a
# real city. The test suite executes this file.

# %%
import datetime as dt

from unified_edu import Municipality, SubmissionState
from unified_edu.reports import Period
from unified_edu.reports._export import to_dataframe
from unified_edu.sandbox import RemoteSandbox

sandbox = RemoteSandbox.start(seed=2026, scale=1)
as_of = dt.datetime.fromisoformat(sandbox.summary["as_of"])
city = Municipality.from_config(sandbox.config)
print(city.tenants)

# %% [markdown]
# ## The autumn term, for every school on both platforms

# %%
autumn = Period(start=dt.date(2026, 9, 15), end=dt.date(2026, 11, 30))
report = city.progress_report(autumn, as_of=as_of)
frame = to_dataframe(report)
schools = frame[frame.level == "school"][
    ["school", "provider", "assignments_posted", "turned_in", "missing", "average_grade_share"]
]
print(schools.to_string(index=False))

# %% [markdown]
# ## One class, up close: who has not handed in the latest homework?

# %%
klass = next(c for c in city.iter_classes() if c.name.startswith("Математика"))
homework = max(city.iter_assignments([klass]), key=lambda a: a.created_at or as_of)
missing = [
    s
    for s in city.iter_submissions([klass])
    if s.assignment_id == homework.ref.id
    and s.state in {SubmissionState.NEW, SubmissionState.IN_PROGRESS}
]
print(f"{klass.name}: «{homework.title}» — {len(missing)} not handed in yet")

# %%
city.close()
sandbox.stop()
