"""Drives the real Python `mlflow` client (and MLflow's basic-auth client) against a Keel server
started with authentication, and checks who may do what.

Usage:
  KEEL_ADMIN_USERNAME=admin KEEL_ADMIN_PASSWORD=... npx keel server --auth --port 5000 &
  MLFLOW_TRACKING_URI=http://127.0.0.1:5000 MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=... \
    python3 scripts/mlflow-auth-check.py
Needs the `mlflow` package with its auth extra (Flask-WTF); not part of `npm test` (CI has no mlflow).
Exits non-zero on the first mismatch.
"""
import json
import os
import sys
import urllib.request
import uuid

import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException, RestException
from mlflow.server import get_app_client

uri = os.environ["MLFLOW_TRACKING_URI"]
admin = (os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"])
suffix = uuid.uuid4().hex[:6]
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        print(f"FAIL: {what}")
        sys.exit(1)


def as_user(username, password=None, token=None):
    """Switches the client's credentials, as a user would with environment variables."""
    for key in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"):
        os.environ.pop(key, None)
    if token is not None:
        os.environ["MLFLOW_TRACKING_TOKEN"] = token
    else:
        os.environ["MLFLOW_TRACKING_USERNAME"] = username
        os.environ["MLFLOW_TRACKING_PASSWORD"] = password


def error_code(fn):
    try:
        fn()
    except RestException as error:
        return error.error_code
    except MlflowException as error:
        return getattr(error, "error_code", str(error))
    return None


# MLflow's basic-auth client manages users and experiment permissions.
as_user(*admin)
auth = get_app_client("basic-auth", tracking_uri=uri)
users = {name: f"{name}-password-{suffix}" for name in ("alice", "bob", "carol")}
for name, password in users.items():
    auth.create_user(f"{name}-{suffix}", password)
check(auth.get_user(f"alice-{suffix}").username == f"alice-{suffix}", "users/create and users/get")

client = MlflowClient()
exp_id = client.create_experiment(f"shared-{suffix}")
hidden_id = client.create_experiment(f"hidden-{suffix}")
auth.create_experiment_permission(exp_id, f"alice-{suffix}", "EDIT")
auth.create_experiment_permission(exp_id, f"bob-{suffix}", "READ")
check(auth.get_experiment_permission(exp_id, f"bob-{suffix}").permission == "READ", "experiments/permissions/get")

# alice may edit: the fluent API logs a whole run.
as_user(f"alice-{suffix}", users["alice"])
with mlflow.start_run(experiment_id=exp_id, run_name="by-alice") as run:
    mlflow.log_param("lr", 0.1)
    mlflow.log_metric("loss", 0.5, step=1)
    mlflow.set_tag("owner", "alice")
got = MlflowClient().get_run(run.info.run_id)
check(got.data.params == {"lr": "0.1"} and got.data.metrics == {"loss": 0.5}, "EDIT: a run logged with Basic auth")
check(
    error_code(lambda: MlflowClient().delete_experiment(exp_id)) == "PERMISSION_DENIED",
    "EDIT cannot delete the experiment (MANAGE)",
)

# bob may read only.
as_user(f"bob-{suffix}", users["bob"])
bob = MlflowClient()
check(bob.get_run(run.info.run_id).info.run_name == "by-alice", "READ: get_run")
check(len(bob.search_runs([exp_id])) == 1, "READ: search_runs")
check(
    error_code(lambda: bob.log_metric(run.info.run_id, "loss", 0.1)) == "PERMISSION_DENIED",
    "READ cannot log a metric",
)
check(
    error_code(lambda: bob.set_tag(run.info.run_id, "owner", "bob")) == "PERMISSION_DENIED",
    "READ cannot set a tag",
)

# carol has no role and no grant: the experiments do not exist for her.
as_user(f"carol-{suffix}", users["carol"])
carol = MlflowClient()
check(
    error_code(lambda: carol.get_experiment(exp_id)) == "RESOURCE_DOES_NOT_EXIST",
    "no access: get_experiment is 404, not 403",
)
check(
    error_code(lambda: carol.get_run(run.info.run_id)) == "RESOURCE_DOES_NOT_EXIST",
    "no access: get_run is 404",
)
names = [e.name for e in carol.search_experiments()]
check(f"shared-{suffix}" not in names and f"hidden-{suffix}" not in names, "no access: search shows neither")
check(carol.get_experiment_by_name(f"hidden-{suffix}") is None, "no access: get_experiment_by_name is None")

# A wrong password is refused.
as_user(f"carol-{suffix}", "not-her-password")
check(error_code(lambda: MlflowClient().search_experiments()) is not None, "a wrong password is refused")

# An API token (created through Keel's API) works as MLFLOW_TRACKING_TOKEN.
request = urllib.request.Request(
    f"{uri}/api/keel/v1/tokens",
    data=json.dumps({"name": "mlflow client check"}).encode(),
    headers={"content-type": "application/json"},
    method="POST",
)
import base64

basic = base64.b64encode(f"alice-{suffix}:{users['alice']}".encode()).decode()
request.add_header("authorization", f"Basic {basic}")
with urllib.request.urlopen(request) as response:
    token = json.loads(response.read())["token"]
as_user(None, token=token)
with mlflow.start_run(experiment_id=exp_id, run_name="by-token") as token_run:
    mlflow.log_metric("acc", 0.9)
check(MlflowClient().get_run(token_run.info.run_id).data.metrics == {"acc": 0.9}, "MLFLOW_TRACKING_TOKEN")

# Permissions change through the auth client, and take effect at once.
as_user(*admin)
auth.update_experiment_permission(exp_id, f"bob-{suffix}", "EDIT")
as_user(f"bob-{suffix}", users["bob"])
MlflowClient().log_metric(run.info.run_id, "loss", 0.25, step=2)
as_user(*admin)
auth.delete_experiment_permission(exp_id, f"bob-{suffix}")
as_user(f"bob-{suffix}", users["bob"])
check(
    error_code(lambda: MlflowClient().get_run(run.info.run_id)) == "RESOURCE_DOES_NOT_EXIST",
    "a removed permission hides the run at once",
)
as_user(*admin)
auth.update_user_password(f"carol-{suffix}", f"new-carol-password-{suffix}")
as_user(f"carol-{suffix}", f"new-carol-password-{suffix}")
MlflowClient().search_experiments()
as_user(*admin)
auth.delete_user(f"carol-{suffix}")
check(error_code(lambda: auth.get_user(f"carol-{suffix}")) == "RESOURCE_DOES_NOT_EXIST", "users/delete")

print(f"OK: {checks} checks passed")
