/**
 * Configuration files for a container with a read-only root filesystem. The provider's `upload`
 * copies a tar into the container at `/` (kreuzwerker/terraform-provider-docker v3.6.2,
 * resource_docker_container_funcs.go: `CopyToContainer(…, "/", …)`), and the engine refuses that
 * copy into a read-only root even when the files land in a volume: it checks the extraction
 * point `/`, not the files (moby daemon/archive_unix.go containerExtractToDir,
 * checkIfPathIsInAVolume: "container rootfs is marked read-only"); both read 2026-11-26.
 *
 * So a writer container that is created but never started (`start: false`; the provider uploads
 * before it would start) receives the files into a named volume, and the service mounts that
 * volume read-only. The engine binds a created container's volumes before extracting
 * (openContainerFS → setupMounts), so the files land in the volume. The volume is named after a
 * hash of its files: changed files make a new volume, so no stale file (a removed dashboard or
 * rule file) survives, and the service is replaced with it.
 */
import { createHash } from "node:crypto";
import { Container, type ContainerVolumes } from "@cdktf/provider-docker/lib/container";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { Construct } from "constructs";

export interface ConfigFile {
  /** Absolute path in the service container, under the volume's mount path. */
  readonly file: string;
  readonly content: string;
}

export interface ConfigVolumeProps {
  /** Prefix of the volume's name (its content hash follows) and the writer container's name. */
  readonly name: string;
  /** The writer's image: the service's own, pulled anyway; the writer never runs. */
  readonly image: string;
  /** Where the service reads the files. */
  readonly mountPath: string;
  /** The files, each under `mountPath`. */
  readonly files: readonly ConfigFile[];
}

export class ConfigVolume extends Construct {
  /** The writer container; the service depends on it, so the files are there when it starts. */
  public readonly writer: Container;
  /** The service's read-only mount of the files. */
  public readonly mount: ContainerVolumes;

  public constructor(scope: Construct, id: string, props: ConfigVolumeProps) {
    super(scope, id);
    const outside = props.files.filter((f) => !f.file.startsWith(`${props.mountPath}/`));
    if (outside.length > 0)
      throw new Error(`config files outside ${props.mountPath}: ${outside.map((f) => f.file).join(", ")} (a kit bug)`);
    const hash = createHash("sha256").update(JSON.stringify(props.files)).digest("hex").slice(0, 12);
    const volume = new Volume(this, "volume", { name: `${props.name}-${hash}` });
    this.writer = new Container(this, "writer", {
      name: `${props.name}-writer`,
      image: props.image,
      start: false,
      // Never running is its normal state; with must_run the provider would delete it on refresh.
      mustRun: false,
      networkMode: "none",
      volumes: [{ volumeName: volume.name, containerPath: props.mountPath }],
      upload: props.files.map(({ file, content }) => ({ file, content })),
    });
    this.mount = { volumeName: volume.name, containerPath: props.mountPath, readOnly: true };
  }
}
