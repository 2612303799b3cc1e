// Build-time only: the JSON Schema that ships in schema/, generated from the zod schema.
import * as z from 'zod';
import { configSchema } from './schema.js';

export function lanesJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'lanes-hooks configuration (.lanesrc.json)',
  };
}
