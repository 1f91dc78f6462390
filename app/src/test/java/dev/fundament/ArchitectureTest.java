package dev.fundament;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules of ARCHITECTURE.md, enforced. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.fundament");
    }

    @Test
    void nothingImportsTheHttpEdges() {
        noClasses().that().resideOutsideOfPackages("dev.fundament.api..", "dev.fundament")
                .should().dependOnClassesThat().resideInAPackage("dev.fundament.api..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("dev.fundament.admin..", "dev.fundament")
                .should().dependOnClassesThat().resideInAPackage("dev.fundament.admin..")
                .check(classes);
    }

    @Test
    void identityAndStorageDoNotDependOnThePipelineOrProviders() {
        noClasses().that().resideInAnyPackage("dev.fundament.identity..", "dev.fundament.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.fundament.gateway..", "dev.fundament.providers..",
                        "dev.fundament.routing..", "dev.fundament.inference..")
                .check(classes);
    }

    @Test
    void configAndErrorDependOnNothingElse() {
        noClasses().that().resideInAnyPackage("dev.fundament.config..", "dev.fundament.error..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.fundament.api..", "dev.fundament.gateway..",
                        "dev.fundament.providers..", "dev.fundament.routing..", "dev.fundament.inference..",
                        "dev.fundament.observability..", "dev.fundament.simulator..")
                .check(classes);
    }

    @Test
    void inferenceTypesAreVendorNeutral() {
        noClasses().that().resideInAPackage("dev.fundament.inference..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.fundament.providers..", "dev.fundament.gateway..",
                        "dev.fundament.routing..", "dev.fundament.api..")
                .check(classes);
    }

    @Test
    void capabilitiesDoNotDependOnThePipeline() {
        noClasses().that().resideInAnyPackage("dev.fundament.providers..", "dev.fundament.routing..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.fundament.gateway..")
                .check(classes);
    }

    @Test
    void vendorPackagesDoNotImportEachOther() {
        slices().matching("dev.fundament.providers.(*)..").should().notDependOnEachOther()
                .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("dev.fundament.providers.http.."))
                .check(classes);
    }

    @Test
    void theSimulatorStandsAlone() {
        noClasses().that().resideInAPackage("dev.fundament.simulator..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.fundament.api..", "dev.fundament.gateway..",
                        "dev.fundament.providers..", "dev.fundament.routing..")
                .check(classes);
    }

    @Test
    void noCycles() {
        slices().matching("dev.fundament.(*)..").should().beFreeOfCycles().check(classes);
    }
}
