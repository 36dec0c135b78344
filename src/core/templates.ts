/**
 * The starter model `rampart init` and "Rampart: New Threat Model" write: examples/starter.threatmodel.yaml,
 * bundled as text by esbuild (loader `.yaml: text`), so the example and the template can never drift apart.
 */
import starter from '../../examples/starter.threatmodel.yaml';

export const STARTER_MODEL: string = starter;
