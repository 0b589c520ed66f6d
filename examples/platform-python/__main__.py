"""The streaming-inference platform from Python: the same typed settings as the TypeScript example.

`pulumi package add ../..` generates the `pulumi_streaming_inference` SDK from the package's
schema; the platform is then constructed by the package's plugin (a Node.js process), and its
model deployments are the plugin's `streaming-inference:index:ModelDeployment` resource.
"""

import pulumi
import pulumi_gcp as gcp
import pulumi_streaming_inference as si

cfg = pulumi.Config()
project_id = cfg.require("projectId")
regions = ["us-central1", "us-east1"]

provider = gcp.Provider("gcp", project=project_id, region=regions[0])
platform = si.StreamingInferencePlatform(
    "si-python",
    config=si.PlatformSettingsArgs(
        project_id=project_id,
        environment=si.Environment.STAGING,
        name_prefix="si-python",
        regions=regions,
        active_region="us-central1",
        labels={"team": "ml-platform", "cost-center": "cc-4410"},
        model=si.ModelSettingsArgs(
            display_name="fraud-scorer",
            artifact_uri=cfg.require("modelArtifactUri"),
            serving_image=cfg.require("servingImage"),
            machine_type="n1-standard-4",
            accelerator_type="NVIDIA_TESLA_T4",
            min_replicas=1,
            max_replicas=2,
        ),
        alerts=si.PlatformAlertSettingsArgs(notification_emails=[cfg.require("oncallEmail")]),
    ),
    opts=pulumi.ResourceOptions(providers=[provider]),
)

pulumi.export("eventsTopic", platform.events_topic)
pulumi.export("predictionsTopic", platform.predictions_topic)
pulumi.export("endpointIds", platform.endpoint_ids)
pulumi.export("dashboardUrl", platform.dashboard_url)
