import {describe, expect, it} from 'vitest'

import {schemaValidator} from '../../src/util/schema.js'

describe('project JSON Schemas', () => {
  it.each(['report', 'profile', 'inventory'] as const)('%s.schema.json is a valid 2020-12 schema under ajv strict mode', (name) => {
    expect(() => schemaValidator(name, {checkSchema: true})).not.toThrow()
  })
})
