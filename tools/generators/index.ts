export { connectorGenerator, type ConnectorGeneratorSchema } from './connector/generator';
