"""What the tests share: fixture responses, the `yuqing` command, fault clusters,
receivers, story texts and expected values. Tests import from here, never from
conftest.py (which only defines pytest fixtures)."""
