"""The video of each work, hard-linked (free on one file system) or copied into the package."""

from __future__ import annotations

import os
import shutil
from typing import Any

from toolkit.fsutil import atomic_path
from toolkit.package.kinds import StepKind
from toolkit.package.plan import PackagePlan, WorkPlan
from toolkit.package.steps import Step


def plan(package: PackagePlan, work: WorkPlan) -> None:
    target = package.work_dir(work) / "media" / work.video.name
    video = work.video

    def run(step: Step) -> dict[str, Any]:
        with atomic_path(target) as temporary:
            temporary.unlink()
            try:
                os.link(video, temporary)
            except OSError:
                shutil.copyfile(video, temporary)
        return {}

    package.steps.append(Step(f"{work.id}/media", "media", run, inputs=[video], outputs=[target], work=work.id))


KINDS = (StepKind("media", order=20, plan=plan),)
