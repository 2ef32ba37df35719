import { names } from '@nx/devkit';

/** Every spelling of a connector's name the generated files use. */
export interface ConnectorNames {
  /** The CRM id and routing destination: `close-io`. */
  name: string;
  /** `connector-close-io`: project, app folder, consumer group, image, Deployment. */
  projectName: string;
  projectRoot: string;
  /** `CloseIo`: `CloseIoConnector`, `loadCloseIoConfig`. */
  className: string;
  /** `closeIo`: the app's config fragment. */
  propertyName: string;
  /** `CLOSE_IO`: the prefix of its environment variables. */
  constantName: string;
  /** `Close Io`, unless given. */
  displayName: string;
}

export const CONNECTOR_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function connectorNames(name: string, displayName?: string): ConnectorNames {
  if (!CONNECTOR_NAME.test(name)) {
    throw new Error(
      `"${name}" is not a connector id: lowercase letters and digits, words separated by single dashes (e.g. pipedrive)`,
    );
  }
  const { className, propertyName, constantName } = names(name);
  return {
    name,
    projectName: `connector-${name}`,
    projectRoot: `apps/connector-${name}`,
    className,
    propertyName,
    constantName,
    displayName:
      displayName?.trim() ||
      name
        .split('-')
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join(' '),
  };
}
