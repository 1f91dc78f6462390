/**
 * {@code fundament.yaml}: the product's one configuration file, in three phases.
 *
 * <ol>
 *   <li>Parse: YAML into {@code *Spec} records by {@link dev.fundament.config.SpecBinder}, unknown keys
 *       rejected, defaults declared once in each record's compact constructor.</li>
 *   <li>Validate: {@link dev.fundament.config.ConfigValidator} checks everything, cross-references
 *       included, and every problem is reported by its YAML path in one
 *       {@link dev.fundament.config.ConfigException}.</li>
 *   <li>Compile: {@link dev.fundament.config.ConfigLoader} returns a {@link dev.fundament.config.LoadedConfig}
 *       with secrets resolved and the configuration's hash; the gateway turns it into its runtime.</li>
 * </ol>
 *
 * <p>Depends on nothing else in Fundament. Quarkus infrastructure settings stay in
 * {@code application.properties}.
 */
package dev.fundament.config;
