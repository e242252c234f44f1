// The plugin loader, against fixture plugins that are each broken in one way.
// Every refusal is asserted word for word: these messages are the user's only
// guide when a plugin does not load.
#include <gtest/gtest.h>

#include <string>

#include "host_registry.h"
#include "lode/version.h"
#include "plugin_loader.h"

namespace lode::host {
namespace {

const std::string kDir = LODE_FIXTURE_DIR;
const std::string kVersion = LODE_VERSION_STRING;

std::string Fixture(const std::string& name) { return kDir + "/" + name + ".so"; }

TEST(PluginLoader, LoadsAGoodPluginAndItsStages) {
  HostRegistry registry;
  PluginLoader loader(registry);
  ASSERT_TRUE(loader.LoadFile(Fixture("good")).ok());
  ASSERT_EQ(registry.plugins().size(), 1u);
  EXPECT_EQ(registry.plugins()[0]->name, "fixture");
  EXPECT_EQ(registry.plugins()[0]->version, "1.2.3");
  EXPECT_EQ(registry.plugins()[0]->file, Fixture("good"));
  ASSERT_NE(registry.Find("fixture.upper"), nullptr);
  ASSERT_NE(registry.Find("fixture.fail"), nullptr);
  EXPECT_EQ(registry.Find("fixture.upper")->plugin->name, "fixture");
}

TEST(PluginLoader, RefusesAFileThatIsNotASharedLibrary) {
  HostRegistry registry;
  PluginLoader loader(registry);
  Status s = loader.LoadFile(Fixture("not_a_library"));
  EXPECT_EQ(s.message(), Fixture("not_a_library") + ": not a lode plugin (not a shared library: no ELF header)");
}

TEST(PluginLoader, RefusesALibraryWithoutTheEntry) {
  HostRegistry registry;
  PluginLoader loader(registry);
  Status s = loader.LoadFile(Fixture("missing_entry"));
  EXPECT_EQ(s.message(), Fixture("missing_entry") + ": not a lode plugin (it exports no 'lode_plugin_entry')");
  EXPECT_TRUE(registry.plugins().empty());
}

TEST(PluginLoader, RefusesAnotherAbiMajor) {
  HostRegistry registry;
  PluginLoader loader(registry);
  Status s = loader.LoadFile(Fixture("wrong_major"));
  EXPECT_EQ(s.message(), Fixture("wrong_major") + ": plugin 'fixture' was built for lode ABI 99." + std::to_string(LODE_ABI_MINOR) +
                             ", but this lode (" +
                             kVersion + ") has ABI " + std::to_string(LODE_ABI_MAJOR) + "." +
                             std::to_string(LODE_ABI_MINOR) + ": rebuild the plugin against lode " + kVersion);
  EXPECT_EQ(registry.Find("fixture.upper"), nullptr);
}

TEST(PluginLoader, RefusesANewerAbiMinor) {
  HostRegistry registry;
  PluginLoader loader(registry);
  Status s = loader.LoadFile(Fixture("newer_minor"));
  EXPECT_EQ(s.message(), Fixture("newer_minor") + ": plugin 'fixture' needs lode ABI " +
                             std::to_string(LODE_ABI_MAJOR) + ".7 or newer, but this lode (" + kVersion +
                             ") has ABI " + std::to_string(LODE_ABI_MAJOR) + "." + std::to_string(LODE_ABI_MINOR) +
                             ": upgrade lode, or rebuild the plugin against lode " + kVersion);
}

TEST(PluginLoader, RefusesAnotherBuildFingerprint) {
  HostRegistry registry;
  PluginLoader loader(registry);
  Status s = loader.LoadFile(Fixture("wrong_fingerprint"));
  EXPECT_EQ(s.message(), Fixture("wrong_fingerprint") +
                             ": plugin 'fixture' was built with 'othercc-1/otherlib', but this lode with '" +
                             std::string(LODE_BUILD_FINGERPRINT) +
                             "': rebuild the plugin with the compiler and standard library of this lode");
}

TEST(PluginLoader, RefusesAStageNameThatIsTakenAndSaysByWhom) {
  HostRegistry registry;
  PluginLoader loader(registry);
  ASSERT_TRUE(loader.LoadFile(Fixture("good")).ok());
  Status s = loader.LoadFile(Fixture("duplicate_stage"));
  EXPECT_EQ(s.message(), Fixture("duplicate_stage") +
                             ": plugin 'fixture-copy' failed to register: stage 'fixture.upper' is already "
                             "registered by plugin 'fixture' (" +
                             Fixture("good") + ")");
  // All or nothing: the plugin's other stage was not added either.
  EXPECT_EQ(registry.plugins().size(), 1u);
}

TEST(PluginLoader, RefusesAPluginNameThatIsTaken) {
  HostRegistry registry;
  PluginLoader loader(registry);
  ASSERT_TRUE(loader.LoadFile(Fixture("good")).ok());
  Status s = loader.LoadFile(Fixture("duplicate_plugin"));
  EXPECT_EQ(s.message(),
            Fixture("duplicate_plugin") + ": plugin name 'fixture' is already taken by " + Fixture("good"));
  EXPECT_EQ(registry.Find("other.upper"), nullptr);
}

TEST(PluginLoader, CatchesAnExceptionThrownByRegistration) {
  HostRegistry registry;
  PluginLoader loader(registry);
  Status s = loader.LoadFile(Fixture("throwing_registration"));
  EXPECT_EQ(s.message(), Fixture("throwing_registration") +
                             ": plugin 'fixture-throws' failed to register: registration threw: registration exploded");
}

TEST(PluginLoader, ReportsAFailedRegistration) {
  HostRegistry registry;
  PluginLoader loader(registry);
  Status s = loader.LoadFile(Fixture("failing_registration"));
  EXPECT_EQ(s.message(), Fixture("failing_registration") +
                             ": plugin 'fixture-fails' failed to register: this fixture refuses to register");
}

TEST(PluginLoader, RefusesBadParameterDeclarations) {
  const struct {
    const char* fixture;
    const char* message;
  } cases[] = {
      {"undocumented_param",
       ": plugin 'fixture-undocumented' failed to register: stage 'undoc.upper': parameter 'level' has no doc string"},
      {"reserved_param",
       ": plugin 'fixture-reserved' failed to register: stage 'reserved.upper': parameter name 'enabled' is reserved "
       "for the pipeline entry"},
  };
  for (const auto& c : cases) {
    HostRegistry registry;
    PluginLoader loader(registry);
    EXPECT_EQ(loader.LoadFile(Fixture(c.fixture)).message(), Fixture(c.fixture) + c.message);
  }
}

TEST(PluginLoader, AFolderWithBrokenPluginsStillLoadsTheGoodOnes) {
  HostRegistry registry;
  PluginLoader loader(registry);
  loader.LoadPath(kDir);
  // good.so loads; duplicate_plugin.so sorts before it and is "other", so it
  // loads too; the rest are refused, each with its own message.
  EXPECT_NE(registry.Find("fixture.upper"), nullptr);
  EXPECT_GE(loader.errors().size(), 7u);
  bool named_not_a_library = false;
  for (const std::string& e : loader.errors())
    named_not_a_library |= e.rfind(Fixture("not_a_library"), 0) == 0;
  EXPECT_TRUE(named_not_a_library);
}

TEST(PluginLoader, LoadsTheSameFileOnce) {
  HostRegistry registry;
  PluginLoader loader(registry);
  ASSERT_TRUE(loader.LoadFile(Fixture("good")).ok());
  EXPECT_TRUE(loader.LoadFile(kDir + "/../plugins/good.so").ok());
  EXPECT_EQ(registry.plugins().size(), 1u);
}

TEST(PluginLoader, EveryBuiltInParameterAndColumnHasADocString) {
  HostRegistry registry;
  PluginLoader loader(registry);
  for (const std::string& p : DefaultPluginPath()) loader.LoadPath(p);
  EXPECT_TRUE(loader.errors().empty()) << loader.errors().front();
  ASSERT_FALSE(registry.StageNames().empty());
  for (const std::string& name : registry.StageNames()) {
    const StageInfo& info = registry.Find(name)->info;
    EXPECT_FALSE(info.summary.empty()) << name;
    for (const ParamSpec& p : info.params) EXPECT_FALSE(p.doc.empty()) << name << "." << p.name;
    for (const TableSchema& t : info.tables) {
      EXPECT_FALSE(t.doc.empty()) << name << ": table " << t.name;
      for (const Column& c : t.columns) EXPECT_FALSE(c.doc.empty()) << name << ": " << t.name << "." << c.name;
    }
  }
}

}  // namespace
}  // namespace lode::host
