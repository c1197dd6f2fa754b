// What CloudFormation makes of a template for given parameter values: each condition evaluated,
// the resources whose condition is false left out, parameters' Refs replaced by their values,
// Fn::If resolved and AWS::NoValue removing the property it stands for. Refs to resources and
// pseudo parameters other than AWS::NoValue stay as they are.
type Node = unknown
type Template = {
  Parameters: Record<string, { Default?: unknown }>
  Conditions?: Record<string, Node>
  Resources: Record<string, { Type: string; Condition?: string; [key: string]: unknown }>
}

const NO_VALUE = Symbol('AWS::NoValue')
const isMap = (node: Node): node is Record<string, Node> =>
  typeof node === 'object' && node !== null && !Array.isArray(node)

export function renderTemplate(template: Template, values: Record<string, string> = {}) {
  const parameters: Record<string, unknown> = Object.fromEntries(
    Object.entries(template.Parameters).map(([name, p]) => [name, values[name] ?? p.Default]),
  )

  function resolve(node: Node): unknown {
    if (Array.isArray(node)) return node.map(resolve).filter((item) => item !== NO_VALUE)
    if (!isMap(node)) return node
    const [key, argument] = Object.entries(node)[0] ?? []
    if (Object.keys(node).length === 1 && key === 'Ref' && typeof argument === 'string') {
      if (argument === 'AWS::NoValue') return NO_VALUE
      return argument in parameters ? parameters[argument] : node
    }
    if (Object.keys(node).length === 1 && key === 'Fn::If' && Array.isArray(argument)) {
      const [name, ifTrue, ifFalse] = argument
      return resolve(holds(String(name)) ? ifTrue : ifFalse)
    }
    return Object.fromEntries(
      Object.entries(node)
        .map(([k, v]) => [k, resolve(v)] as const)
        .filter(([, v]) => v !== NO_VALUE),
    )
  }

  function evaluate(node: Node): boolean {
    if (!isMap(node)) throw new Error(`not a condition: ${JSON.stringify(node)}`)
    const [key, argument] = Object.entries(node)[0] ?? []
    const operands = Array.isArray(argument) ? argument : []
    switch (key) {
      case 'Fn::Equals':
        return String(resolve(operands[0])) === String(resolve(operands[1]))
      case 'Fn::Not':
        return !evaluate(operands[0])
      case 'Fn::And':
        return operands.every(evaluate)
      case 'Fn::Or':
        return operands.some(evaluate)
      case 'Condition':
        return holds(String(argument))
      default:
        throw new Error(`no such condition function: ${key}`)
    }
  }

  function holds(condition: string): boolean {
    const definition = template.Conditions?.[condition]
    if (definition === undefined) throw new Error(`no condition ${condition}`)
    return evaluate(definition)
  }

  return Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Condition === undefined || holds(resource.Condition))
      .map(([id, resource]) => [id, resolve(resource) as Record<string, unknown>]),
  )
}
