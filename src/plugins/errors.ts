/** A plugin whose install failed, or a second plugin with a name already installed. */
export class PluginInstallError extends Error {
  override readonly name = "PluginInstallError";
  constructor(
    readonly plugin: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
